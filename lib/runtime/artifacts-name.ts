/** An artifact's name: its folder under agents/ or LOCAL_AGENTS_DIR (no fs here: the browser bundle imports it). */
export const ARTIFACT_NAME_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
