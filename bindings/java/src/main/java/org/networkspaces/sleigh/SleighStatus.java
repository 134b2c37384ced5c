package org.networkspaces.sleigh;

/**
 * The worker group (SLEIGH.md §4): how many workers joined, and whether the
 * group is closed (no more may join).
 */
public record SleighStatus(int workers, boolean closed) {}
