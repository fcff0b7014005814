package org.kinlink.gateway.people;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/** One page of a list: the items and the cursor of the next page (null on the last). */
public record Page<T>(List<T> items, String nextCursor) {

  /** {@code {"items": [...], "next_cursor": ...}} as every list endpoint answers. */
  public JsonObject toJson(Function<T, JsonObject> view) {
    JsonArray arr = new JsonArray();
    items.forEach(i -> arr.add(view.apply(i)));
    return new JsonObject().put("items", arr).put("next_cursor", nextCursor);
  }
}
