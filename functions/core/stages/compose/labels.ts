/**
 * Short human labels of the categories (for reports and messages; the identifiers stay the contract).
 */
import type { CATEGORIES, Category } from '../../model/categories.js';
import { categoryTable } from '../../model/category-registry.js';

/** Each category's `label` from the registry (`core/model/category-registry.ts`), in {@link CATEGORIES} order. */
export const CATEGORY_LABELS: Readonly<Record<Category, string>> = categoryTable((r) => r.label);

/** The label of `category`, or the identifier itself when it is not in the catalogue. */
export function categoryLabel(category: string): string {
  return (CATEGORY_LABELS as Record<string, string>)[category] ?? category;
}
