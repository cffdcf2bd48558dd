// WCAG 2.1 contrast without the DOM: relative luminance, the contrast ratio of two colours, and a translucent colour
// laid over an opaque one. The console's own check of text over video, which axe-core cannot judge (it reports text
// over a <video> as "incomplete"): a tile's label must hold on the lightest picture (white) and the darkest (black).
// docs/accessibility.md gives the rule; no imports and no I/O (unit spec: apps/gateway/src/console/wcag-contrast.spec.ts).

/** "rgb(r, g, b)", "rgba(r, g, b, a)" (as getComputedStyle gives them) or "#rrggbb" → {r, g, b, a} (0-255, a 0-1). */
export function parseColor(text) {
  const s = String(text ?? '').trim();
  let m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(s);
  if (m) return { r: parseInt(m[1], 16), g: parseInt(m[2], 16), b: parseInt(m[3], 16), a: 1 };
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/i.exec(s);
  if (!m) return null;
  let a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
  a = Math.min(1, Math.max(0, a));
  return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a };
}

/** WCAG 2.1 relative luminance of an opaque colour: each channel c/255 linearised (c <= 0.03928: c/12.92, else ((c+0.055)/1.055)^2.4), weighted 0.2126 R + 0.7152 G + 0.0722 B. */
export function relativeLuminance({ r, g, b }) {
  const lin = (v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** (L1 + 0.05) / (L2 + 0.05), L1 the lighter: 1 to 21. */
export function contrastRatio(a, b) {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `top` (alpha a) painted over the opaque `bottom`: each channel a·top + (1 − a)·bottom. */
export function composite(top, bottom) {
  const mix = (t, u) => top.a * t + (1 - top.a) * u;
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

/**
 * The lowest contrast of the opaque text colour `fg` on a translucent background `bg` laid over any picture between
 * black and white (the video under a tile label). The blend's luminance grows with the picture's, from bg over black
 * to bg over white; the ratio falls as the blend's luminance nears the text's. So: when the text's luminance lies
 * inside that span some picture matches it (1), else the nearer end bounds it (the smaller of the two ratios).
 * Translucent text is not judged (1).
 */
export function worstContrastOverPicture(fg, bg) {
  if (fg.a < 1) return 1;
  const overBlack = composite(bg, { r: 0, g: 0, b: 0, a: 1 });
  const overWhite = composite(bg, { r: 255, g: 255, b: 255, a: 1 });
  const l = relativeLuminance(fg);
  if (l >= relativeLuminance(overBlack) && l <= relativeLuminance(overWhite)) return 1;
  return Math.min(contrastRatio(fg, overBlack), contrastRatio(fg, overWhite));
}
