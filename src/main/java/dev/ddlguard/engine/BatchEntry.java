package dev.ddlguard.engine;

/** A DDL statement added to a {@code Statement} batch, and its position there (for its update count). */
public record BatchEntry(Judgement judgement, int index) {}
