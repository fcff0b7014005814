package org.kinlink.gateway.people;

import io.vertx.core.json.JsonObject;

/** A prison: the tenant every staff account and prisoner belongs to. */
public record Establishment(String id, String name) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name);
  }

  public static Establishment fromJson(JsonObject j) {
    return new Establishment(j.getString("id"), j.getString("name"));
  }
}
