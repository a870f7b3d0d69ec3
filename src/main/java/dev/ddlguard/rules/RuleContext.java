package dev.ddlguard.rules;

/**
 * What a rule may know besides the statement: facts about the session it will run in.
 *
 * @param autocommit whether the statement runs outside a transaction block (CONCURRENTLY needs it)
 */
public record RuleContext(boolean autocommit) {
}
