package org.kinlink.gateway.auth;

import java.time.Duration;

/**
 * How hard sign-in pushes back on guessing.
 *
 * @param triesBeforeLock wrong PINs/passwords/codes in a row that lock a sign-in name
 * @param lockFor how long a lock lasts
 * @param sourceFailures failed sign-ins one source address may make per window before it must wait
 * @param sourceWindow the window (starts at the source's first failure)
 * @param lockKept how long an ended lock is remembered so the next try can record its end
 */
public record SignInLimits(int triesBeforeLock, Duration lockFor, int sourceFailures, Duration sourceWindow, Duration lockKept) {

  /** 5 tries then 15 minutes locked; 30 failures per source per 10 minutes. */
  public static SignInLimits defaults() {
    return new SignInLimits(5, Duration.ofMinutes(15), 30, Duration.ofMinutes(10), Duration.ofDays(30));
  }
}
