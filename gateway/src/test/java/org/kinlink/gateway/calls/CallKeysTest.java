package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.SlotHash;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.redis.Keys;

/**
 * Calls are spread over the cluster: no slot holds every call or every establishment's calls, and
 * the keys each calls script touches share one slot (what a Redis Cluster requires of a script).
 */
class CallKeysTest {
  private static int slot(String key) {
    return SlotHash.getSlot(key);
  }

  @Test
  void eachScriptsKeysShareOneSlotAndCallsAndEstablishmentsSpreadOverMany() {
    String call = "call-0b6b2c4e-7d0f-4a8e-9a53-1c2f3e4d5a6b";
    // calls-book.lua and calls-transition.lua: the record and its outbox
    assertEquals(slot(Keys.call(call)), slot(Keys.callOutbox(call)));
    assertEquals(slot(Keys.call(call)), slot(Keys.callRecordings(call)));
    // calls-place.lua: an establishment's, or a participant's, index and active set
    assertEquals(slot(Keys.callsOfEstablishment("styal")), slot(Keys.activeCallsOfEstablishment("styal")));
    assertEquals(slot(Keys.callsOfEstablishment("styal")), slot(Keys.callSettings("styal")));
    assertEquals(slot(Keys.callsOfParty("pr-A1234BC")), slot(Keys.activeCallsOfParty("pr-A1234BC")));
    // calls-recording-count.lua: a recording's counters, its seqs counted and an old chunk; retention deletes a batch of old chunks in one DEL
    String rec = "rec-0b6b2c4e-7d0f-4a8e-9a53-1c2f3e4d5a6b-pr-A1234BC";
    assertEquals(slot(Keys.recordingChunk(rec, 0)), slot(Keys.recordingChunk(rec, 99)));
    assertEquals(slot(Keys.recordingChunk(rec, 0)), slot(Keys.recordingCounts(rec)));
    assertEquals(slot(Keys.recordingChunk(rec, 0)), slot(Keys.recordingCall(rec)));
    assertEquals(slot(Keys.recordingChunk(rec, 0)), slot(Keys.recordingSeqs(rec)));

    Set<Integer> calls = new HashSet<>();
    Set<Integer> establishments = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      calls.add(slot(Keys.call("call-" + i)));
      establishments.add(slot(Keys.callsOfEstablishment("est-" + i)));
    }
    assertTrue(calls.size() > 40, "calls share few slots: " + calls.size());
    assertTrue(establishments.size() > 40, "establishments share few slots: " + establishments.size());
  }
}
