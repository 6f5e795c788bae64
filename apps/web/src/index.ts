/** The Next.js dashboard will live here (Next is added with the dashboard issue). */
export {};
