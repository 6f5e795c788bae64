/** The workspace tool executors: the client tools of SPEC §4 over a local folder. */
export { executeTool, type ExecuteToolOptions } from './execute-tool';
export { resolveInWorkspace, type WorkspacePath } from './resolve-in-workspace';
export { TOOL_LIMITS, type Workspace } from './workspace';
