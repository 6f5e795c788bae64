import { describe, expect, it } from 'vitest';
import { placeholderPage } from './placeholder-page';

describe('the placeholder page', () => {
  it('says where the runtime is and how to follow a session meanwhile', () => {
    const html = placeholderPage('http://127.0.0.1:4000');
    expect(html).toContain('http://127.0.0.1:4000');
    expect(html).toContain('npx baton run');
  });
});
