"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { configureConnector, configureConnectorInput, testConnector } from "@/lib/domain/revocations/configure-connector";

export const saveConnector = defineAction({
  name: "configureConnector",
  schema: configureConnectorInput,
  run: configureConnector,
  revalidate: (input) => [`/applications/${input.applicationId}`, `/applications/${input.applicationId}/connector`],
});

export const checkConnector = defineAction({ name: "testConnector", schema: z.object({ applicationId: z.uuid() }), run: testConnector });
