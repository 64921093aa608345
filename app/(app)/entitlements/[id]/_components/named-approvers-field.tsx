"use client";

import { useState } from "react";
import { PersonPicker, type ChosenPerson } from "@/components/people/person-picker";
import { lookUpApprover } from "../actions";

/**
 * The named approvers of the policy form: found by email with the shared person finder, posted
 * as one hidden field (the form's action reads each name once).
 */
export function NamedApproversField({ entitlementId, initial }: { entitlementId: string; initial: ChosenPerson[] }) {
  const [people, setPeople] = useState(initial);
  return (
    <div className="ml-6">
      <PersonPicker
        label="Named approvers"
        hint="Any one of them may decide the named-approver step, never for their own request. Find each by email address."
        people={people}
        onChange={setPeople}
        lookUp={(email) => lookUpApprover({ entitlementId, email })}
        multiple
      />
      <input type="hidden" name="namedApproverIds" value={people.map((p) => p.id).join(",")} />
    </div>
  );
}
