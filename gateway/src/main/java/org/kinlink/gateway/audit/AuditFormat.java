package org.kinlink.gateway.audit;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The ways audit entries leave the gateway: JSON pages, JSON lines, or CSV. CSV follows RFC 4180
 * (CRLF, double quotes doubled) and defuses spreadsheet formulas: a cell starting with
 * {@code = + - @}, tab or carriage return gets a leading single quote.
 */
public enum AuditFormat {
  JSON("application/json; charset=utf-8"),
  NDJSON("application/x-ndjson; charset=utf-8"),
  CSV("text/csv; charset=utf-8");

  /** CSV columns, in order. */
  public static final List<String> COLUMNS = List.of("seq", "at", "action", "outcome", "actor_id", "actor_role",
      "establishment", "prisoner_id", "contact_id", "details", "prev_hash", "hash");

  private final String contentType;

  AuditFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /** From an HTTP Accept header: NDJSON or CSV when asked for, JSON otherwise. */
  public static AuditFormat fromAccept(String accept) {
    String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
    if (a.contains("application/x-ndjson")) {
      return NDJSON;
    }
    if (a.contains("text/csv")) {
      return CSV;
    }
    return JSON;
  }

  /** From a CLI option ({@code ndjson} or {@code csv}). */
  public static AuditFormat fromName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "ndjson" -> NDJSON;
      case "csv" -> CSV;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("format must be ndjson or csv, not " + name);
    };
  }

  /** What precedes the first entry of a stream (the CSV header row). */
  public String header() {
    return this == CSV ? String.join(",", COLUMNS) + "\r\n" : "";
  }

  /** One entry as one line of a stream (NDJSON or CSV). */
  public String line(JsonObject stored) {
    if (this == CSV) {
      StringBuilder row = new StringBuilder();
      for (String column : COLUMNS) {
        if (!row.isEmpty()) {
          row.append(',');
        }
        Object value = stored.getValue(column);
        row.append(cell(value == null ? null : value instanceof JsonObject o ? CanonicalJson.encode(o) : value.toString()));
      }
      return row.append("\r\n").toString();
    }
    return stored.encode() + "\n";
  }

  /** One CSV cell, quoted when needed, formulas defused. */
  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String v = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
