package dev.ddlguard.intercept;

/**
 * Rethrows a checked exception through an interface that does not declare it. datasource-proxy's
 * {@code QueryTransformer} cannot throw SQLException, yet a blocked prepare must fail with one: the
 * JDBC method it runs under ({@code prepareStatement}) declares it, so the caller receives it as is.
 */
final class Sneaky {

    private Sneaky() {}

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException rethrow(Throwable e) throws E {
        throw (E) e;
    }
}
