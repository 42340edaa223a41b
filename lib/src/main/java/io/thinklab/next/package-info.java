/**
 * What comes after cold-start thinking SFT, as small honest pieces rather than trainers: the DPO loss of a
 * preference pair ({@link io.thinklab.next.Dpo}) and GRPO's verifiable reward and group-relative advantages
 * ({@link io.thinklab.next.Grpo}). Both score what the lab's model really generates; neither runs a training loop
 * (notebook 09 says what a full run would add).
 */
package io.thinklab.next;
