package soko.catalog;

/**
 * An alias as the merged catalogs define it.
 *
 * @param alias the definition in force
 * @param catalogId the catalog it comes from: the last merged catalog that defines this alias
 */
public record AliasEntry(Alias alias, String catalogId) {}
