// Progressive enhancement only: every page works without this file.
// Loaded (deferred) before the Bootstrap Italia bundle.
//
// The bundle includes video.js, which by default injects a <style> element
// on load; our CSP forbids inline styles, so turn that off.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;

// Taxpayer form: show only the fields of the chosen kind (person or
// company). The server already renders the other kind's fieldset hidden and
// disabled (so it is not posted); here the radio buttons toggle both at
// once, and the "update the form" button, needed only without JavaScript,
// goes away.
document.addEventListener('DOMContentLoaded', () => {
  const radios = document.querySelectorAll('input[type="radio"][name="kind"]');
  const sections = document.querySelectorAll('fieldset.sp-kind[data-kind]');
  if (!radios.length || !sections.length) return;
  for (const el of document.querySelectorAll('.sp-nojs')) el.hidden = true;
  const apply = () => {
    const chosen = document.querySelector('input[type="radio"][name="kind"]:checked');
    if (!chosen) return;
    for (const s of sections) {
      const off = s.dataset.kind !== chosen.value;
      s.hidden = off;
      s.disabled = off;
    }
  };
  for (const r of radios) r.addEventListener('change', apply);
  apply();
});
