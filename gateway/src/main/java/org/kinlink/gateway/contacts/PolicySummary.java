package org.kinlink.gateway.contacts;

import java.time.DayOfWeek;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.StepUpStage;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.TimeWindow;

/**
 * A policy in plain words for staff: one sentence per aspect (state, channels, oversight and
 * supervisor, windows, limits, step-up stages, court orders, never-together, content rules).
 * It describes the document; what the document means for an action is the engine's business.
 */
public final class PolicySummary {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.UK);
  private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.UK);
  private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
  private static final Set<DayOfWeek> WEEKEND = EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

  private PolicySummary() {}

  /** The sentences, in a fixed order, naming never-together parties as their document references. */
  public static List<String> of(ContactPolicy p) {
    return of(p, org.kinlink.policy.PartyRefs::toDocument);
  }

  /** The sentences, with {@code party} turning a never-together engine id into what the reader sees. */
  public static List<String> of(ContactPolicy p, java.util.function.Function<String, String> party) {
    List<String> out = new ArrayList<>();
    out.add(state(p));
    out.add(channels(p.channels()));
    out.add(oversight(p));
    if (!p.windows().isEmpty()) {
      out.add(p.windows().stream().map(PolicySummary::window).collect(Collectors.joining("; ")) + " (UK time).");
    }
    String limits = limits(p.limits());
    if (!limits.isEmpty()) {
      out.add(capitalise(limits) + ".");
    }
    if (!p.stepUp().isEmpty()) {
      out.add("Steps up: " + p.stepUp().stream().map(PolicySummary::stage).collect(Collectors.joining("; ")) + ".");
    }
    for (CourtOrder o : p.courtOrders()) {
      out.add(order(o));
    }
    if (!p.neverWith().isEmpty()) {
      out.add("Never in the same call as " + join(p.neverWith().stream().map(party).toList(), "or") + ".");
    }
    out.addAll(content(p));
    return out;
  }

  private static String state(ContactPolicy p) {
    return switch (p.state()) {
      case PENDING -> "Waiting for staff approval: no contact yet.";
      case APPROVED -> "Approved.";
      case SUSPENDED -> p.suspendedUntil() == null ? "Suspended until staff reinstate it."
          : "Suspended until " + MOMENT.format(p.suspendedUntil().atZone(UsageCounters.LONDON)) + " (UK time).";
      case REVOKED -> "Revoked: no contact.";
    };
  }

  private static String channels(Set<Channel> channels) {
    if (channels.isEmpty()) {
      return "No way of contact is allowed.";
    }
    List<String> names = new ArrayList<>();
    if (channels.contains(Channel.MESSAGE)) {
      names.add("messages");
    }
    if (channels.contains(Channel.PHOTO)) {
      names.add("photos");
    }
    if (channels.contains(Channel.VIDEO)) {
      names.add("video calls");
    }
    return capitalise(join(names)) + (names.size() == 1 ? " only." : ".");
  }

  private static String oversight(ContactPolicy p) {
    return switch (p.oversight()) {
      case PRIVILEGED -> "Privileged (legal): never recorded or monitored.";
      case RECORDED -> "Video calls are recorded.";
      case MONITORED -> "Video calls are recorded and may be monitored live by security.";
      case SUPERVISED -> "Video calls are recorded and need a supervisor present: "
          + (p.supervisor() == null ? "not named" : join(p.supervisor().anyOf().stream().map(PolicySummary::role).toList(), "or"))
          + ".";
    };
  }

  private static String role(SupervisorRole r) {
    return switch (r) {
      case CARER -> "the carer";
      case SCHOOL -> "the school safeguarding lead";
      case SOCIAL_WORKER -> "a social worker";
      case FAMILY_WORKER -> "a prison family worker";
      case OFFICER -> "a prison officer";
    };
  }

  private static String window(TimeWindow w) {
    String days;
    if (w.days().size() == 7) {
      days = "Every day";
    } else if (w.days().equals(WEEKDAYS)) {
      days = "Weekdays";
    } else if (w.days().equals(WEEKEND)) {
      days = "Weekends";
    } else {
      days = w.days().stream().sorted().map(d -> d.getDisplayName(TextStyle.SHORT, Locale.UK)).collect(Collectors.joining(", "));
    }
    return days + " " + w.from() + "–" + w.to();
  }

  private static String limits(Limits l) {
    List<String> parts = new ArrayList<>();
    if (l.callsPerWeek() != null) {
      parts.add("at most " + plural(l.callsPerWeek(), "call") + " a week");
    }
    if (l.callsPerFortnight() != null) {
      parts.add("at most " + plural(l.callsPerFortnight(), "call") + " a fortnight");
    }
    if (l.callMinutes() != null) {
      parts.add("calls of up to " + plural(l.callMinutes(), "minute"));
    }
    if (l.messagesPerDay() != null) {
      parts.add("at most " + plural(l.messagesPerDay(), "message") + " a day");
    }
    return join(parts);
  }

  private static String stage(StepUpStage s) {
    String what = s.channels() == null ? "same channels" : channels(s.channels()).replace(".", "").toLowerCase(Locale.UK);
    String limits = s.limits() == null ? "" : limits(s.limits());
    return "from " + DAY.format(s.from()) + ", " + what + (limits.isEmpty() ? "" : " (" + limits + ")");
  }

  private static String order(CourtOrder o) {
    String effect = switch (o.effect()) {
      case NO_CONTACT -> "no contact of any kind";
      case NO_DIRECT_CONTACT -> "no video calls";
      case NO_INDIRECT_CONTACT -> "no messages or photos";
      case NO_PHOTOS -> "no photos";
    };
    String span = (o.from() == null ? "" : " from " + DAY.format(o.from()))
        + (o.until() == null ? "" : " until " + DAY.format(o.until()));
    return "Court order " + o.ref() + " (" + o.kind() + "): " + effect + span + ".";
  }

  private static List<String> content(ContactPolicy p) {
    List<String> out = new ArrayList<>();
    if (p.content().reviewAll()) {
      out.add("Every message is reviewed before delivery.");
    } else if (p.content().reviewPhotos()) {
      out.add("Photos are reviewed before delivery.");
    }
    if (!p.content().sensitiveTerms().isEmpty()) {
      out.add("Messages naming " + quoted(p.content().sensitiveTerms()) + " are held for review.");
    }
    if (!p.content().blockedTerms().isEmpty()) {
      out.add("Messages naming " + quoted(p.content().blockedTerms()) + " are refused.");
    }
    return out;
  }

  private static String quoted(List<String> terms) {
    return join(terms.stream().map(t -> "\"" + t + "\"").toList(), "or");
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  private static String join(List<String> parts) {
    return join(parts, "and");
  }

  private static String join(List<String> parts, String last) {
    if (parts.size() <= 1) {
      return String.join("", parts);
    }
    return String.join(", ", parts.subList(0, parts.size() - 1)) + " " + last + " " + parts.get(parts.size() - 1);
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
