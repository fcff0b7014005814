package org.kinlink.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.model.RuleError;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.rules.London;
import org.kinlink.policy.screening.ContentMatch;

/**
 * A decision in the docs/api.md shape: {@code {"effect", "reasons": [{"rule", "text"}], "obligations": [...]}}.
 * The staff view carries rule ids, staff texts, each reason's effect and screening matches (with
 * offsets and the matched term). The user view carries only user-safe codes and texts: never a rule
 * id that names a court order or a clearance, never a matched term.
 */
public final class DecisionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writer();

    private DecisionJson() {
    }

    /** The JSON text of a decision for staff ({@code staffView}) or for anyone else. */
    public static String toJson(Decision decision, boolean staffView) {
        try {
            return WRITER.writeValueAsString(toTree(decision, staffView));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a decision", e);
        }
    }

    /** The JSON tree of a decision, for callers that embed it in a larger document. */
    public static ObjectNode toTree(Decision decision, boolean staffView) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("effect", decision.effect().name());
        ArrayNode reasons = root.putArray("reasons");
        Set<String> shown = new HashSet<>();
        for (Reason r : decision.reasons()) {
            if (staffView) {
                ObjectNode node = reasons.addObject();
                node.put("rule", r.rule());
                node.put("effect", r.effect().name());
                node.put("text", r.staffText());
                if (!r.matches().isEmpty()) {
                    ArrayNode matches = node.putArray("matches");
                    for (ContentMatch m : r.matches()) {
                        ObjectNode mn = matches.addObject();
                        mn.put("kind", m.kind().name());
                        mn.put("start", m.start());
                        mn.put("end", m.end());
                        if (m.term() != null) {
                            mn.put("term", m.term());
                        }
                    }
                }
            } else if (shown.add(r.publicCode() + '\n' + r.userText())) {
                ObjectNode node = reasons.addObject();
                node.put("rule", r.publicCode());
                node.put("text", r.userText());
            }
        }
        if (staffView) {
            ArrayNode determined = root.putArray("determined_by");
            decision.determinedBy().forEach(determined::add);
            if (!decision.errors().isEmpty()) {
                ArrayNode errors = root.putArray("errors");
                for (RuleError e : decision.errors()) {
                    errors.addObject().put("rule", e.rule()).put("message", e.message());
                }
            }
        }
        ArrayNode obligations = root.putArray("obligations");
        for (Obligation o : decision.obligations()) {
            ObjectNode node = obligations.addObject();
            node.put("type", o.type().name());
            if (o.at() != null) {
                node.put("at", London.iso(o.at()));
            }
            if (!o.roles().isEmpty()) {
                ArrayNode roles = node.putArray("roles");
                for (SupervisorRole role : o.roles()) {
                    roles.add(role.name());
                }
            }
        }
        return root;
    }
}
