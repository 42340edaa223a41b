package io.thinklab.sample;

/**
 * What a synthetic teacher wrote for one problem.
 *
 * @param thinking the reasoning trace (goes between {@code <think>} and {@code </think>})
 * @param solution the answer text; its last line is always {@code Final answer: <answer>}
 */
public record Written(String thinking, String solution) {}
