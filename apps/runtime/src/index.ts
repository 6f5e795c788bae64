/** The tRPC server and the engine that carries out effects will live here. */
export {};
