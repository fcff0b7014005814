package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Parties} for one request: each prisoner and party is read from the directory once, however
 * many steps of the request ask (a send resolves its conversation and then decides, and both name
 * the same two parties). Nothing is kept past the request, so every request still reads the
 * directory as it is; make a new one per request.
 */
public final class RequestParties implements Parties {
  private final Parties directory;
  private final Map<String, Future<Optional<PrisonerInfo>>> prisoners = new ConcurrentHashMap<>();
  private final Map<String, Future<Optional<PartyInfo>>> parties = new ConcurrentHashMap<>();

  public RequestParties(Parties directory) {
    this.directory = directory;
  }

  @Override
  public Future<Optional<PrisonerInfo>> prisoner(String prisonerId) {
    return prisoners.computeIfAbsent(prisonerId, directory::prisoner);
  }

  @Override
  public Future<Optional<PartyInfo>> party(String partyId) {
    return parties.computeIfAbsent(partyId, directory::party);
  }

  @Override
  public Future<Void> mirrorClearance(String prisonerId, String level) {
    return directory.mirrorClearance(prisonerId, level);
  }

  @Override
  public Future<String> displayName(String accountId) {
    return directory.displayName(accountId);
  }
}
