package org.kinlink.gateway.http;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The gateway's OpenAPI 3.1 contract, assembled from a base document and one fragment per
 * capability (each with its own {@code paths} and {@code components.schemas}) so that capabilities
 * can grow their part of the API without touching each other's. The merged document is what
 * validates requests and what {@code /api/v1/openapi.yaml} serves.
 */
public final class OpenApiDocument {
  /** Classpath base document. */
  public static final String BASE = "openapi/kinlink.yaml";

  /** Capability fragments under {@code openapi/}, merged into the base in this order. */
  public static final List<String> FRAGMENTS = List.of("auth.yaml", "people.yaml", "audit.yaml", "contacts.yaml", "messaging.yaml", "calls.yaml");

  private OpenApiDocument() {}

  /** The merged contract as JSON. */
  public static JsonObject load() {
    JsonObject doc = read(BASE);
    for (String fragment : FRAGMENTS) {
      merge(doc, read("openapi/" + fragment), fragment);
    }
    return doc;
  }

  /** The merged contract as YAML text. */
  public static String yaml(JsonObject merged) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setSplitLines(false);
    // re-decode so nested values are plain maps and lists, not JsonObject beans
    return new Yaml(options).dump(new JsonObject(merged.encode()).getMap());
  }

  private static void merge(JsonObject doc, JsonObject fragment, String name) {
    JsonObject paths = doc.getJsonObject("paths", new JsonObject());
    for (var e : fragment.getJsonObject("paths", new JsonObject())) {
      if (paths.containsKey(e.getKey())) {
        throw new IllegalStateException("OpenAPI fragment " + name + " redefines path " + e.getKey());
      }
      paths.put(e.getKey(), e.getValue());
    }
    doc.put("paths", paths);
    JsonObject fragmentComponents = fragment.getJsonObject("components", new JsonObject());
    JsonObject components = doc.getJsonObject("components", new JsonObject());
    for (var section : fragmentComponents) {
      JsonObject target = components.getJsonObject(section.getKey(), new JsonObject());
      for (var e : (JsonObject) section.getValue()) {
        if (target.containsKey(e.getKey())) {
          throw new IllegalStateException("OpenAPI fragment " + name + " redefines components." + section.getKey() + "." + e.getKey());
        }
        target.put(e.getKey(), e.getValue());
      }
      components.put(section.getKey(), target);
    }
    doc.put("components", components);
  }

  @SuppressWarnings("unchecked")
  private static JsonObject read(String path) {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing OpenAPI document " + path);
      }
      Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return new JsonObject((Map<String, Object>) yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
