package org.kinlink.gateway.people;

import io.vertx.core.json.JsonObject;

/** An in-cell or MBU kiosk; prisoners sign in only on an enrolled device of their own establishment. */
public record KioskDevice(String id, String establishment, String location, boolean enrolled) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("establishment", establishment).put("location", location).put("enrolled", enrolled);
  }

  public static KioskDevice fromJson(JsonObject j) {
    return new KioskDevice(j.getString("id"), j.getString("establishment"), j.getString("location"), j.getBoolean("enrolled", false));
  }
}
