"use server";

import { defineAction } from "@/lib/actions/define-action";
import { cancelAccessRequest, cancelRequestInput } from "@/lib/domain/approvals/cancel-request";
import { submitAccessRequest, submitRequestInput } from "@/lib/domain/approvals/submit-request";

export const submitRequest = defineAction({
  name: "submitRequest",
  schema: submitRequestInput,
  run: submitAccessRequest,
  revalidate: () => ["/requests", "/approvals"],
});

export const withdrawRequest = defineAction({
  name: "withdrawRequest",
  schema: cancelRequestInput,
  run: cancelAccessRequest,
  revalidate: (input) => [`/requests/${input.requestId}`, "/requests", "/approvals"],
});
