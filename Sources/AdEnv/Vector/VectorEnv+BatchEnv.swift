extension VectorEnv: BatchEnv {}
