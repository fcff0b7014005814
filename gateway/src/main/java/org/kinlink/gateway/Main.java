package org.kinlink.gateway;

/** Entry point of the kinlink command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("kinlink");
  }
}
