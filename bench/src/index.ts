/** The benchmark will live here. */
export {};
