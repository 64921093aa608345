import { expect, type Page } from "@playwright/test";

/** Accord's sign-in page and the loopback identity provider's login and consent screens. */
export class SignInPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.goto("/signin");
  }

  async signInWithIdentityProvider(email: string) {
    await this.open();
    await this.page.getByRole("button", { name: "Sign in with Loopback IdP" }).click();
    await this.page.locator('input[name="login"]').fill(email);
    await this.page.locator('input[name="password"]').fill("any-password");
    await this.page.getByRole("button", { name: "Sign-in" }).click();
    await this.page.getByRole("button", { name: "Continue" }).click();
  }

  async signInAsDemoPerson(name: string) {
    await this.open();
    await this.page.getByRole("button", { name: new RegExp(`^Sign in as ${name}`) }).click();
    await expect(this.page.getByRole("heading", { name: `Hello, ${name}` })).toBeVisible();
  }
}
