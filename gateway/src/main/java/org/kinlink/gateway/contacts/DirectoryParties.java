package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.kinlink.gateway.people.Clearance;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PrisonerFlag;

/**
 * {@link Parties} over the people directory. A person outside who is a prisoner elsewhere (a parent
 * linked to a prisoner record) resolves to that prisoner, so an inter-prison contact always names
 * the prisoner and both prisons' policies apply.
 */
public final class DirectoryParties implements Parties {
  private final Directory directory;

  public DirectoryParties(Directory directory) {
    this.directory = directory;
  }

  @Override
  public Future<Optional<PrisonerInfo>> prisoner(String prisonerId) {
    return directory.prisoner(prisonerId).map(found -> found.map(DirectoryParties::info));
  }

  @Override
  public Future<Optional<PartyInfo>> party(String partyId) {
    if (partyId.startsWith("pr-")) {
      return prisoner(partyId).map(found -> found.map(DirectoryParties::asParty));
    }
    return directory.person(partyId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      PersonOutside person = found.get();
      if (person.prisonerId() != null) {
        // the person record is what was named, so its establishments say who may name it
        return prisoner(person.prisonerId()).map(p -> p.map(DirectoryParties::asParty)
            .map(party -> new PartyInfo(party.id(), party.name(), party.kind(), false, party.prisoner(),
                person.establishments())));
      }
      return Future.succeededFuture(Optional.of(new PartyInfo(person.id(), person.name(), person.kind().name(),
          person.kind() == org.kinlink.gateway.people.PersonKind.CHILD, null, person.establishments())));
    });
  }

  @Override
  public Future<String> displayName(String accountId) {
    if (accountId == null) {
      return Future.succeededFuture("unknown");
    }
    if (accountId.equals("system")) {
      return Future.succeededFuture("Kinlink (automatic)");
    }
    if (accountId.startsWith("pr-")) {
      return prisoner(accountId).map(p -> p.map(PrisonerInfo::name).orElse(accountId));
    }
    return directory.staff(accountId).compose(staff -> staff.isPresent()
        ? Future.succeededFuture(staff.get().name())
        : directory.person(accountId).map(person -> person.map(PersonOutside::name).orElse(accountId)));
  }

  @Override
  public Future<Void> mirrorClearance(String prisonerId, String level) {
    Clearance clearance = Clearance.valueOf(level);
    return directory.updatePrisoner(prisonerId, p -> p.withClearance(clearance)).mapEmpty();
  }

  private static PrisonerInfo info(Prisoner p) {
    // a prisoner flagged as a risk to children has no child contact until assessed, whatever was recorded
    String initial = p.flags().contains(PrisonerFlag.RISK_TO_CHILDREN) ? "NONE" : p.clearance().name();
    return new PrisonerInfo(p.id(), p.prisonNumber(), p.name(), p.establishment(), initial);
  }

  private static PartyInfo asParty(PrisonerInfo p) {
    return new PartyInfo(p.id(), p.name(), "PRISONER", false, p, List.of(p.establishment()));
  }
}
