package soko.app;

/**
 * The budget in force and where it came from.
 *
 * @param budget the budget
 * @param origin {@code SOKO_BUDGET} or {@code settings} (made with {@code soko config set budget})
 */
public record BudgetSetting(StorageBudget budget, String origin) {}
