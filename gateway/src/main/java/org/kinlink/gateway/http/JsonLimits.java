package org.kinlink.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;
import org.kinlink.gateway.config.HttpSettings;

/**
 * Checks a JSON body's shape in one streaming pass, before it is decoded into objects and validated
 * against the schema: nesting depth, text length, members per object and items per list. The pass is
 * linear in the body's size (at most {@code max-body-bytes}), so no body can make the schema
 * validator, or anything after it, spend more than that on an event loop.
 */
public final class JsonLimits implements Handler<RoutingContext> {
  private final HttpSettings limits;
  private final JsonFactory factory;

  public JsonLimits(HttpSettings limits) {
    this.limits = limits;
    // Jackson's own guards stay above ours, so ours (with their clearer messages) speak first
    this.factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(limits.maxJsonDepth() + 1)
        .maxStringLength(Integer.MAX_VALUE)
        .maxNumberLength(1000)
        .build()).build();
  }

  @Override
  public void handle(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    String type = ctx.request().getHeader("Content-Type");
    if (body == null || body.length() == 0 || type == null || !type.toLowerCase(Locale.ROOT).contains("json")) {
      ctx.next();
      return;
    }
    ApiException problem = check(body.getBytes());
    if (problem != null) {
      ctx.fail(problem);
    } else {
      ctx.next();
    }
  }

  /** The first limit the document breaks, or null when it keeps them all. */
  ApiException check(byte[] json) {
    int maxDepth = limits.maxJsonDepth();
    // per open container (1 = the outermost): list or object, members or items so far, where we are in it
    boolean[] isList = new boolean[maxDepth + 2];
    int[] counts = new int[maxDepth + 2];
    String[] names = new String[maxDepth + 2];
    int depth = 0;
    try (JsonParser parser = factory.createParser(json)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          if (name.length() > limits.maxJsonStringChars()) {
            return tooComplex("A field name in the body is longer than " + limits.maxJsonStringChars() + " characters.",
                names, depth - 1);
          }
          if (++counts[depth] > limits.maxJsonMembers()) {
            return tooComplex("An object in the body has more than " + limits.maxJsonMembers()
                + " members; this gateway accepts at most " + limits.maxJsonMembers() + ".", names, depth - 1);
          }
          names[depth] = name;
          continue;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          depth--;
        } else {
          if (depth > 0 && isList[depth]) {
            names[depth] = "[" + counts[depth] + "]";
            if (++counts[depth] > limits.maxJsonItems()) {
              return tooComplex("A list in the body has more than " + limits.maxJsonItems()
                  + " items; this gateway accepts at most " + limits.maxJsonItems() + ".", names, depth - 1);
            }
          }
          if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            if (depth + 1 > maxDepth) {
              return tooComplex("The body nests objects and lists deeper than " + maxDepth
                  + " levels; this gateway accepts at most " + maxDepth + ".", names, depth);
            }
            depth++;
            isList[depth] = token == JsonToken.START_ARRAY;
            counts[depth] = 0;
            names[depth] = null;
            continue;
          }
          if (token == JsonToken.VALUE_STRING && parser.getTextLength() > limits.maxJsonStringChars()) {
            return tooComplex("A text in the body is longer than " + limits.maxJsonStringChars()
                + " characters; this gateway accepts at most " + limits.maxJsonStringChars() + ".", names, depth);
          }
        }
        if (depth == 0) {
          return parser.nextToken() == null ? null
              : ApiException.badRequest("INVALID_REQUEST", "The body has more after its JSON value.", null);
        }
      }
      return ApiException.badRequest("INVALID_REQUEST", "The body ends before its JSON value does.", null);
    } catch (StreamConstraintsException e) {
      return tooComplex("The body has a value larger than this gateway accepts.", names, 0);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      return ApiException.badRequest("INVALID_REQUEST", "The body is not valid JSON" + where + ".", null);
    } catch (IOException e) {
      return ApiException.badRequest("INVALID_REQUEST", "The body is not valid JSON.", null);
    }
  }

  /** The error, naming where in the body it is (the names of the first {@code depth} levels) when that is short. */
  private static ApiException tooComplex(String message, String[] names, int depth) {
    StringBuilder field = new StringBuilder();
    for (int i = 1; i <= depth && field.length() <= 200; i++) {
      if (names[i] != null) {
        field.append(field.isEmpty() || names[i].startsWith("[") ? "" : ".").append(names[i]);
      }
    }
    String where = field.isEmpty() || field.length() > 200 ? null : field.toString();
    return ApiException.badRequest("BODY_TOO_COMPLEX", message, where);
  }
}
