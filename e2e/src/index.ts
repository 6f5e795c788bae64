/** Cross-package scenario specs over HTTP and Playwright browser specs will live here. */
export {};
