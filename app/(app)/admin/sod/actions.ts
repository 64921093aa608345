"use server";

import { defineAction } from "@/lib/actions/define-action";
import { createSodRule, deleteSodRule, updateSodRule } from "@/lib/domain/sod/manage-rules";
import { sodRuleIdInput, sodRuleInput, updateSodRuleInput } from "@/lib/domain/sod/rule-input";
import { findRuleEntitlements, findRuleEntitlementsInput } from "@/lib/domain/sod/views";

const paths = () => ["/admin/sod"];

export const createRule = defineAction({ name: "createSodRule", schema: sodRuleInput, run: createSodRule, revalidate: paths });

export const updateRule = defineAction({ name: "updateSodRule", schema: updateSodRuleInput, run: updateSodRule, revalidate: paths });

export const deleteRule = defineAction({ name: "deleteSodRule", schema: sodRuleIdInput, run: deleteSodRule, revalidate: paths });

/** The rule form's entitlement search; it reads, so it revalidates nothing. */
export const findEntitlements = defineAction({ name: "findSodEntitlements", schema: findRuleEntitlementsInput, run: findRuleEntitlements });
