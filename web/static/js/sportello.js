// Progressive enhancement only: every page works without this file.
// Loaded (deferred) before the Bootstrap Italia bundle.
//
// The bundle includes video.js, which by default injects a <style> element
// on load; our CSP forbids inline styles, so turn that off.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
