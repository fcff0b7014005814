package org.kinlink.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import org.kinlink.policy.model.ContactPolicy;

/**
 * The policy document of docs/domain.md as JSON: parse (with one {@link Problem} per thing wrong, each
 * naming its field path and what is accepted), validate a policy built in code, and serialise.
 * Nothing invalid comes out of {@link #parse}.
 */
public final class PolicyDocuments {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectReader TREE_READER = MAPPER.reader();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private PolicyDocuments() {
    }

    /** Parses and validates a policy document. */
    public static ParseResult parse(String json) {
        if (json == null || json.isBlank()) {
            return new ParseResult.Invalid(List.of(new Problem("", "empty document: expected a JSON object")));
        }
        JsonNode root;
        try {
            root = TREE_READER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            return new ParseResult.Invalid(List.of(new Problem("", "not valid JSON" + where + ": " + e.getOriginalMessage())));
        }
        return new PolicyReader().read(root);
    }

    /** Every problem of a policy (empty when valid). */
    public static List<Problem> validate(ContactPolicy policy) {
        return List.copyOf(PolicyValidator.validate(policy, new ArrayList<>()));
    }

    /** The policy as a docs/domain.md JSON document. */
    public static String toJson(ContactPolicy policy) {
        try {
            return PRETTY.writeValueAsString(new PolicyWriter(MAPPER).write(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a policy", e);
        }
    }
}
