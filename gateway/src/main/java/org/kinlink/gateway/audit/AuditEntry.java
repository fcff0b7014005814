package org.kinlink.gateway.audit;

import java.time.Instant;

/**
 * An event as stored: its place in the chain, when it was written, and the hash that links it to the previous entry.
 *
 * @param seq position in the chain, from 1
 * @param at when the gateway wrote it
 * @param prevHash hash of entry {@code seq - 1} (all zeros for the first)
 * @param hash SHA-256 over {@code prevHash} and the canonical JSON of this entry
 */
public record AuditEntry(long seq, Instant at, AuditEvent event, String prevHash, String hash) {}
