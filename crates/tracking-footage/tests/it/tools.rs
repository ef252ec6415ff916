//! Tool discovery and version detection against the real installed tools.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use tracking_footage::{
    BLENDER_AVAILABLE, Tool, ToolSource, blender_available, find_tool, tool_version,
};

#[test]
fn the_installed_ffprobe_and_ffmpeg_report_a_version() {
    require_tools!();
    for tool in [Tool::Ffprobe, Tool::Ffmpeg] {
        let found = find_tool(tool, None).unwrap();
        assert_eq!(found.tool, tool);
        let version = tool_version(&found).unwrap();
        assert!(!version.raw.is_empty());
        if let Some(major) = version.major {
            assert!(major >= 4, "{tool} {}", version.raw);
        }
    }
}

#[test]
fn an_explicit_tool_path_is_used_as_given() {
    require_tools!();
    let real = find_tool(Tool::Ffprobe, None).unwrap().program;
    let found = find_tool(Tool::Ffprobe, Some(&real)).unwrap();
    assert_eq!(found.program, real);
    assert_eq!(found.source, ToolSource::Explicit);
}

#[test]
fn blender_availability_agrees_with_discovery() {
    let discovered = find_tool(Tool::Blender, None).is_ok();
    assert_eq!(*BLENDER_AVAILABLE, discovered);
    assert_eq!(blender_available(), discovered);
}
