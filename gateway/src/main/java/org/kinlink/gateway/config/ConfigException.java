package org.kinlink.gateway.config;

/** A setting is missing or wrong; the message names the setting and what is accepted. Exit code 2. */
public final class ConfigException extends RuntimeException {
  private final String setting;

  public ConfigException(String setting, String message) {
    super(setting + ": " + message);
    this.setting = setting;
  }

  /** The setting's name as the operator writes it (flag, env var or YAML key). */
  public String setting() {
    return setting;
  }
}
