package org.kinlink.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.util.Collection;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.StepUpStage;
import org.kinlink.policy.model.TimeWindow;
import org.kinlink.policy.rules.London;

/** Writes a policy as the docs/domain.md document, fields in the documented order. */
final class PolicyWriter {
    private final ObjectMapper mapper;

    PolicyWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode write(ContactPolicy p) {
        ObjectNode root = mapper.createObjectNode();
        root.put("state", p.state().name());
        if (p.suspendedUntil() == null) {
            root.putNull("suspended_until");
        } else {
            root.put("suspended_until", London.iso(p.suspendedUntil()));
        }
        root.put("relationship", p.relationship().name());
        names(root.putArray("channels"), p.channels());
        root.put("oversight", p.oversight().name());
        if (p.supervisor() == null) {
            root.putNull("supervisor");
        } else {
            names(root.putObject("supervisor").putArray("any_of"), p.supervisor().anyOf());
        }
        ArrayNode windows = root.putArray("windows");
        for (TimeWindow w : p.windows()) {
            ObjectNode node = windows.addObject();
            ArrayNode days = node.putArray("days");
            for (DayOfWeek d : w.days()) {
                days.add(d.name().substring(0, 3));
            }
            node.put("from", w.from().toString());
            node.put("to", w.to().toString());
        }
        limits(root.putObject("limits"), p.limits());
        ArrayNode stages = root.putArray("step_up");
        for (StepUpStage s : p.stepUp()) {
            ObjectNode node = stages.addObject();
            node.put("from", s.from().toString());
            if (s.channels() != null) {
                names(node.putArray("channels"), s.channels());
            }
            if (s.limits() != null) {
                limits(node.putObject("limits"), s.limits());
            }
        }
        ArrayNode never = root.putArray("never_with");
        p.neverWith().forEach(id -> never.add(PartyRefs.toDocument(id)));
        ArrayNode orders = root.putArray("court_orders");
        for (CourtOrder o : p.courtOrders()) {
            ObjectNode node = orders.addObject();
            node.put("kind", o.kind());
            node.put("effect", o.effect().name());
            if (o.from() != null) {
                node.put("from", o.from().toString());
            }
            if (o.until() != null) {
                node.put("until", o.until().toString());
            }
            node.put("ref", o.ref());
        }
        ObjectNode content = root.putObject("content");
        content.put("review_all", p.content().reviewAll());
        content.put("review_photos", p.content().reviewPhotos());
        ArrayNode sensitive = content.putArray("sensitive_terms");
        p.content().sensitiveTerms().forEach(sensitive::add);
        ArrayNode blocked = content.putArray("blocked_terms");
        p.content().blockedTerms().forEach(blocked::add);
        return root;
    }

    private static void limits(ObjectNode node, Limits l) {
        putIfSet(node, "calls_per_week", l.callsPerWeek());
        putIfSet(node, "calls_per_fortnight", l.callsPerFortnight());
        putIfSet(node, "call_minutes", l.callMinutes());
        putIfSet(node, "messages_per_day", l.messagesPerDay());
    }

    private static void putIfSet(ObjectNode node, String name, Integer value) {
        if (value != null) {
            node.put(name, value.intValue());
        }
    }

    private static void names(ArrayNode array, Collection<? extends Enum<?>> values) {
        for (Enum<?> v : values) {
            array.add(v.name());
        }
    }
}
