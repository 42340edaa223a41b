/**
 * Parity with the peer in the direction ThinkLab → PEFT: adapters ThinkLab saves, made reproducibly, so that
 * Transformers + PEFT can load them and be compared logit for logit.
 *
 * <p>{@link io.thinklab.parity.PeftExport} writes them; {@code environment/parity/peft_roundtrip.py} runs it, loads
 * each adapter in PEFT and writes PEFT's logits as golden files under {@code lib/src/test/resources/peft-roundtrip/},
 * which a test compares with ThinkLab's logits on every build. The other direction (PEFT → ThinkLab) is
 * {@code environment/parity/make_golden.py} with its test.
 */
package io.thinklab.parity;
