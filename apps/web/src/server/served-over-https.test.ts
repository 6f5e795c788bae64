import { describe, expect, it } from 'vitest';
import { servedOverHttps } from './served-over-https';

const none = new Headers();

describe('whether the dashboard is served over https', () => {
  it('is not, for a plain http request with no proxy header', () => {
    expect(servedOverHttps(none, 'http://127.0.0.1:3000/login', false)).toBe(false);
  });

  it('is, when the request URL is https, with no proxy header', () => {
    expect(servedOverHttps(none, 'https://dash.example/login', false)).toBe(true);
  });

  it('is, when a TLS proxy says so, first value of a list and in any case', () => {
    const url = 'http://127.0.0.1:3000/';
    expect(servedOverHttps(new Headers({ 'x-forwarded-proto': 'https' }), url, false)).toBe(true);
    expect(servedOverHttps(new Headers({ 'x-forwarded-proto': 'HTTPS, http' }), url, false)).toBe(
      true,
    );
    expect(servedOverHttps(new Headers({ 'x-forwarded-proto': 'http, https' }), url, false)).toBe(
      false,
    );
  });

  it('is, when the operator forces it, whatever the request says', () => {
    expect(servedOverHttps(none, 'http://127.0.0.1:3000/', true)).toBe(true);
    expect(servedOverHttps(none, null, true)).toBe(true);
  });
});
