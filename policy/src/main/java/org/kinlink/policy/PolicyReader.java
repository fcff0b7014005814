package org.kinlink.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.OrderEffect;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.model.StepUpStage;
import org.kinlink.policy.model.Supervisor;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.model.TimeWindow;
import org.kinlink.policy.rules.London;

/**
 * Reads a policy document from a JSON tree, collecting one problem per thing wrong (wrong type,
 * unknown field, unknown value, missing field, contradiction) with its path, instead of stopping
 * at the first. Each part that reads cleanly is checked by {@link PolicyValidator} at once, with the
 * document's own indices. Single use: one reader per document.
 */
final class PolicyReader {
    private static final List<String> ROOT_FIELDS = List.of("state", "suspended_until", "relationship", "channels",
            "oversight", "supervisor", "windows", "limits", "step_up", "never_with", "court_orders", "content");
    private static final List<String> LIMIT_FIELDS = List.of("calls_per_week", "calls_per_fortnight", "call_minutes",
            "messages_per_day");
    private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Map<String, DayOfWeek> DAYS = Arrays.stream(DayOfWeek.values())
            .collect(Collectors.toMap(d -> d.name().substring(0, 3), d -> d));

    private final List<Problem> problems = new ArrayList<>();
    /** The "from" date of each step-up stage by document index (null where it did not read), for the order check. */
    private final List<LocalDate> stageDates = new ArrayList<>();

    /** Reads the document; the result is valid only when no problem was found. */
    ParseResult read(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add(new Problem("", "must be a JSON object with the fields " + String.join(", ", ROOT_FIELDS)));
            return new ParseResult.Invalid(problems);
        }
        unknownFields("", root, ROOT_FIELDS);
        ContactState state = enumValue("state", root.get("state"), ContactState.class, true);
        Instant suspendedUntil = suspendedUntil(root.get("suspended_until"));
        Relationship relationship = enumValue("relationship", root.get("relationship"), Relationship.class, true);
        Set<Channel> channels = enumSet("channels", root.get("channels"), Channel.class, true);
        Oversight oversight = enumValue("oversight", root.get("oversight"), Oversight.class, true);
        Supervisor supervisor = supervisor(root.get("supervisor"));
        if (relationship != null && oversight != null) {
            PolicyValidator.oversight(relationship, oversight, supervisor, problems);
        }
        List<TimeWindow> windows = list("windows", root.get("windows"), this::window);
        Limits limits = isAbsent(root.get("limits")) ? Limits.NONE : limits("limits", root.get("limits"));
        if (limits != null) {
            PolicyValidator.limits(PolicyValidator.LIMITS, limits, problems);
        }
        List<StepUpStage> stepUp = stepUp(root.get("step_up"), channels, limits);
        List<String> neverWith = list("never_with", root.get("never_with"), this::neverWith);
        List<CourtOrder> orders = list("court_orders", root.get("court_orders"), this::courtOrder);
        ContentRules content = content(root.get("content"), relationship, oversight);
        if (!problems.isEmpty()) {
            return new ParseResult.Invalid(problems);
        }
        ContactPolicy policy = new ContactPolicy(state, suspendedUntil, relationship, channels, oversight, supervisor,
                windows, limits, stepUp, neverWith, orders, content);
        // Belt and braces: the reader checked every part as it went; the whole-policy check must agree.
        List<Problem> remaining = PolicyValidator.validate(policy, new ArrayList<>());
        return remaining.isEmpty() ? new ParseResult.Valid(policy) : new ParseResult.Invalid(remaining);
    }

    // ---- parts ------------------------------------------------------------------------------

    private Instant suspendedUntil(JsonNode node) {
        if (isAbsent(node)) {
            return null;
        }
        String text = text("suspended_until", node, "an ISO-8601 date-time with offset (2026-12-01T09:00:00Z) or a date");
        if (text == null) {
            return null;
        }
        try {
            if (DATE.matcher(text).matches()) {
                // A date means suspended through the end of that day in London.
                return London.startOfDay(LocalDate.parse(text).plusDays(1));
            }
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            problems.add(new Problem("suspended_until", "must be an ISO-8601 date-time with offset "
                    + "(2026-12-01T09:00:00Z) or a date (2026-12-01), not \"" + text + "\""));
            return null;
        }
    }

    private Supervisor supervisor(JsonNode node) {
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(new Problem("supervisor", "must be an object {\"any_of\": [...]}"));
            return null;
        }
        unknownFields("supervisor", node, List.of("any_of"));
        Set<SupervisorRole> roles = enumSet("supervisor.any_of", node.get("any_of"), SupervisorRole.class, true);
        if (roles != null && roles.isEmpty()) {
            problems.add(new Problem("supervisor.any_of", "must name at least one of " + names(SupervisorRole.class)));
            return null;
        }
        return roles == null ? null : new Supervisor(roles);
    }

    private TimeWindow window(String path, JsonNode node) {
        if (!isObject(path, node, "{\"days\": [\"MON\", ...], \"from\": \"HH:MM\", \"to\": \"HH:MM\"}")) {
            return null;
        }
        unknownFields(path, node, List.of("days", "from", "to"));
        Set<DayOfWeek> days = days(path + ".days", node.get("days"));
        LocalTime from = time(path + ".from", node.get("from"));
        LocalTime to = time(path + ".to", node.get("to"));
        if (days == null || from == null || to == null) {
            return null;
        }
        TimeWindow window = new TimeWindow(days, from, to);
        PolicyValidator.window(FieldPath.of(path), window, problems);
        return window;
    }

    private Set<DayOfWeek> days(String path, JsonNode node) {
        if (!isArray(path, node, true, "an array of days: MON, TUE, WED, THU, FRI, SAT, SUN")) {
            return null;
        }
        Set<DayOfWeek> days = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            JsonNode d = node.get(i);
            DayOfWeek day = d.isTextual() ? DAYS.get(d.asText()) : null;
            if (day == null) {
                problems.add(new Problem(path + "[" + i + "]", "unknown day " + d + "; accepted: MON, TUE, WED, THU, FRI, SAT, SUN"));
                ok = false;
            } else {
                days.add(day);
            }
        }
        return ok ? days : null;
    }

    private LocalTime time(String path, JsonNode node) {
        String text = required(path, node, "a time \"HH:MM\" (00:00 to 23:59, Europe/London)");
        if (text == null) {
            return null;
        }
        if (!HH_MM.matcher(text).matches()) {
            problems.add(new Problem(path, "must be a time \"HH:MM\" (00:00 to 23:59, Europe/London), not \"" + text + "\""));
            return null;
        }
        return LocalTime.parse(text);
    }

    private Limits limits(String path, JsonNode node) {
        if (!isObject(path, node, "an object with " + String.join(", ", LIMIT_FIELDS))) {
            return null;
        }
        unknownFields(path, node, LIMIT_FIELDS);
        int before = problems.size();
        Integer perWeek = count(path + ".calls_per_week", node.get("calls_per_week"));
        Integer perFortnight = count(path + ".calls_per_fortnight", node.get("calls_per_fortnight"));
        Integer minutes = count(path + ".call_minutes", node.get("call_minutes"));
        Integer perDay = count(path + ".messages_per_day", node.get("messages_per_day"));
        return problems.size() == before ? new Limits(perWeek, perFortnight, minutes, perDay) : null;
    }

    private Integer count(String path, JsonNode node) {
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            problems.add(new Problem(path, "must be a whole number from 0 to " + PolicyValidator.MAX_LIMIT
                    + " (leave it out for no limit), not " + node));
            return null;
        }
        return node.intValue();
    }

    private List<StepUpStage> stepUp(JsonNode node, Set<Channel> baseChannels, Limits baseLimits) {
        List<StepUpStage> stages = list("step_up", node, (path, n) -> stage(path, n, baseChannels, baseLimits));
        if (stages == null || node == null || !node.isArray()) {
            return stages;
        }
        // Order is checked on the stages that read cleanly, naming them by their document index.
        LocalDate previous = null;
        String previousPath = null;
        for (int i = 0; i < node.size(); i++) {
            LocalDate from = stageDates.get(i);
            if (from == null) {
                continue;
            }
            if (previous != null) {
                PolicyValidator.stageOrder(PolicyValidator.STEP_UP.at(i).field("from"), from, previous,
                        FieldPath.of(previousPath), problems);
            }
            previous = from;
            previousPath = "step_up[" + i + "].from";
        }
        return stages;
    }

    private StepUpStage stage(String path, JsonNode node, Set<Channel> baseChannels, Limits baseLimits) {
        stageDates.add(null);
        int index = stageDates.size() - 1;
        if (!isObject(path, node, "{\"from\": \"YYYY-MM-DD\", \"channels\": [...], \"limits\": {...}}")) {
            return null;
        }
        unknownFields(path, node, List.of("from", "channels", "limits"));
        LocalDate from = date(path + ".from", node.get("from"), true);
        int before = problems.size();
        Set<Channel> channels = enumSet(path + ".channels", node.get("channels"), Channel.class, false);
        Limits limits = isAbsent(node.get("limits")) ? null : limits(path + ".limits", node.get("limits"));
        stageDates.set(index, from);
        if (from == null || problems.size() != before) {
            return null;
        }
        StepUpStage stage = new StepUpStage(from, channels, limits);
        PolicyValidator.stage(FieldPath.of(path), stage, baseChannels, baseLimits, problems);
        return stage;
    }

    private String neverWith(String path, JsonNode node) {
        String ref = required(path, node, "a prison number (\"E2468KL\") or a person id (\"pe-father\")");
        if (ref == null) {
            return null;
        }
        String id = PartyRefs.toEngine(ref);
        PolicyValidator.neverWith(FieldPath.of(path), id, problems);
        return id;
    }

    private CourtOrder courtOrder(String path, JsonNode node) {
        if (!isObject(path, node, "{\"kind\", \"effect\", \"until\", \"ref\"} (\"from\" optional)")) {
            return null;
        }
        unknownFields(path, node, List.of("kind", "effect", "from", "until", "ref"));
        int before = problems.size();
        String kind = required(path + ".kind", node.get("kind"), "an upper-case identifier such as NON_MOLESTATION");
        OrderEffect effect = enumValue(path + ".effect", node.get("effect"), OrderEffect.class, true);
        LocalDate from = date(path + ".from", node.get("from"), false);
        LocalDate until = date(path + ".until", node.get("until"), false);
        String ref = required(path + ".ref", node.get("ref"), "the order's reference, e.g. FC-2026-118");
        if (problems.size() != before || kind == null || effect == null || ref == null) {
            if (until == null && isAbsent(node.get("until"))) {
                problems.add(new Problem(path + ".until", "required: the last day the order is in force (YYYY-MM-DD)"));
            }
            return null;
        }
        CourtOrder order = new CourtOrder(kind, effect, from, until, ref);
        PolicyValidator.order(FieldPath.of(path), order, problems);
        return order;
    }

    private ContentRules content(JsonNode node, Relationship relationship, Oversight oversight) {
        boolean privileged = oversight == Oversight.PRIVILEGED;
        if (isAbsent(node)) {
            return privileged ? ContentRules.NONE : ContentRules.DEFAULT;
        }
        if (!isObject("content", node, "an object with review_all, review_photos, sensitive_terms, blocked_terms")) {
            return null;
        }
        unknownFields("content", node, List.of("review_all", "review_photos", "sensitive_terms", "blocked_terms"));
        int before = problems.size();
        Boolean reviewAll = bool("content.review_all", node.get("review_all"), false);
        // Photos are reviewed unless the document says otherwise (privileged contacts are never reviewed).
        Boolean reviewPhotos = bool("content.review_photos", node.get("review_photos"), !privileged);
        List<String> sensitive = list("content.sensitive_terms", node.get("sensitive_terms"), this::term);
        List<String> blocked = list("content.blocked_terms", node.get("blocked_terms"), this::term);
        if (problems.size() != before) {
            return null;
        }
        ContentRules rules = new ContentRules(reviewAll, reviewPhotos, sensitive, blocked);
        if (oversight != null && relationship != null) {
            PolicyValidator.content(PolicyValidator.CONTENT, rules, relationship, oversight, problems);
        }
        return rules;
    }

    private String term(String path, JsonNode node) {
        String term = required(path, node, "a non-empty string");
        if (term != null) {
            PolicyValidator.term(FieldPath.of(path), term, problems);
        }
        return term;
    }

    // ---- JSON helpers -----------------------------------------------------------------------

    private interface PartReader<T> {
        T read(String path, JsonNode node);
    }

    /** Reads an optional array; absent or null is empty. Elements that fail are reported and dropped. */
    private <T> List<T> list(String path, JsonNode node, PartReader<T> reader) {
        if (isAbsent(node)) {
            return List.of();
        }
        if (!isArray(path, node, false, "an array")) {
            return null;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            T value = reader.read(path + "[" + i + "]", node.get(i));
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    private <E extends Enum<E>> E enumValue(String path, JsonNode node, Class<E> type, boolean required) {
        if (isAbsent(node)) {
            if (required) {
                problems.add(new Problem(path, "required; accepted: " + names(type)));
            }
            return null;
        }
        E value = node.isTextual() ? parseEnum(type, node.asText()) : null;
        if (value == null) {
            problems.add(new Problem(path, "unknown value " + node + "; accepted: " + names(type)));
        }
        return value;
    }

    private <E extends Enum<E>> Set<E> enumSet(String path, JsonNode node, Class<E> type, boolean required) {
        if (isAbsent(node)) {
            if (required) {
                problems.add(new Problem(path, "required: an array of " + names(type)));
            }
            return null;
        }
        if (!isArray(path, node, false, "an array of " + names(type))) {
            return null;
        }
        Set<E> values = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            E value = n.isTextual() ? parseEnum(type, n.asText()) : null;
            if (value == null) {
                problems.add(new Problem(path + "[" + i + "]", "unknown value " + n + "; accepted: " + names(type)));
                ok = false;
            } else {
                values.add(value);
            }
        }
        return ok ? values : null;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(text)) {
                return e;
            }
        }
        return null;
    }

    private LocalDate date(String path, JsonNode node, boolean required) {
        if (isAbsent(node)) {
            if (required) {
                problems.add(new Problem(path, "required: a date YYYY-MM-DD (Europe/London)"));
            }
            return null;
        }
        String text = node.isTextual() ? node.asText() : null;
        if (text != null && DATE.matcher(text).matches()) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeException e) {
                // fall through to the problem below
            }
        }
        problems.add(new Problem(path, "must be a date YYYY-MM-DD, not " + node));
        return null;
    }

    private Boolean bool(String path, JsonNode node, boolean absent) {
        if (isAbsent(node)) {
            return absent;
        }
        if (!node.isBoolean()) {
            problems.add(new Problem(path, "must be true or false, not " + node));
            return null;
        }
        return node.booleanValue();
    }

    private String required(String path, JsonNode node, String accepted) {
        if (isAbsent(node)) {
            problems.add(new Problem(path, "required: " + accepted));
            return null;
        }
        return text(path, node, accepted);
    }

    private String text(String path, JsonNode node, String accepted) {
        if (!node.isTextual() || node.asText().isBlank()) {
            problems.add(new Problem(path, "must be " + accepted + ", not " + node));
            return null;
        }
        return node.asText();
    }

    private boolean isObject(String path, JsonNode node, String accepted) {
        if (node == null || !node.isObject()) {
            problems.add(new Problem(path, "must be " + accepted + ", not " + node));
            return false;
        }
        return true;
    }

    private boolean isArray(String path, JsonNode node, boolean required, String accepted) {
        if (node == null || !node.isArray()) {
            if (node != null || required) {
                problems.add(new Problem(path, "must be " + accepted + ", not " + node));
            }
            return false;
        }
        return true;
    }

    private void unknownFields(String path, JsonNode node, List<String> accepted) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!accepted.contains(name)) {
                problems.add(new Problem(path.isEmpty() ? name : path + "." + name,
                        "unknown field; accepted fields here: " + String.join(", ", accepted)));
            }
        }
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
