/** The safeguarding policy engine: immutable facts in, a Decision out; no I/O. */
package org.kinlink.policy;
