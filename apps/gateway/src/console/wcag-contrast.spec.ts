import { loadPureConsoleModule } from './console-pure-modules';

/** apps/gateway/console/wcag-contrast.js, evaluated as the browser loads it (console-pure-modules.ts). */
const { parseColor, relativeLuminance, contrastRatio, composite, worstContrastOverPicture } = loadPureConsoleModule('wcag-contrast.js', ['parseColor', 'relativeLuminance', 'contrastRatio', 'composite', 'worstContrastOverPicture']);
const c = (s: string) => parseColor(s);

describe('WCAG 2.1 contrast (console/wcag-contrast.js)', () => {
  it('parses the colours getComputedStyle gives and hex', () => {
    expect(c('rgb(255, 213, 79)')).toEqual({ r: 255, g: 213, b: 79, a: 1 });
    expect(c('rgba(0, 0, 0, 0.8)')).toEqual({ r: 0, g: 0, b: 0, a: 0.8 });
    expect(c('rgb(0 0 0 / 50%)')).toEqual({ r: 0, g: 0, b: 0, a: 0.5 });
    expect(c('#1E7034')).toEqual({ r: 30, g: 112, b: 52, a: 1 });
    expect(c('transparent')).toBeNull();
  });

  it('luminance and ratio as WCAG defines them: black/white 21, same colour 1, known pairs', () => {
    expect(relativeLuminance(c('#000000'))).toBe(0);
    expect(relativeLuminance(c('#ffffff'))).toBeCloseTo(1, 10);
    expect(contrastRatio(c('#ffffff'), c('#000000'))).toBeCloseTo(21, 10);
    expect(contrastRatio(c('#777777'), c('#777777'))).toBe(1);
    // Order does not matter.
    expect(contrastRatio(c('#000000'), c('#ffffff'))).toBeCloseTo(21, 10);
    // #767676 on white is the classic 4.54:1 (the lightest grey that passes AA for body text).
    expect(contrastRatio(c('#767676'), c('#ffffff'))).toBeCloseTo(4.54, 2);
    // The console's status badges: white text on each background at least 4.5:1.
    for (const bg of ['#1e7034', '#c0392b', '#8a5a12', '#5f6a6b']) expect(contrastRatio(c('#ffffff'), c(bg))).toBeGreaterThanOrEqual(4.5);
    // The old online green failed (3.48:1).
    expect(contrastRatio(c('#ffffff'), c('#2e9d46'))).toBeCloseTo(3.48, 2);
  });

  it('composites a translucent colour over an opaque one', () => {
    const grey = composite(c('rgba(0, 0, 0, 0.8)'), c('#ffffff'));
    for (const ch of ['r', 'g', 'b']) expect(grey[ch]).toBeCloseTo(51, 10);
    expect(grey.a).toBe(1);
    expect(composite(c('rgba(0, 0, 0, 0)'), c('#123456'))).toEqual({ r: 0x12, g: 0x34, b: 0x56, a: 1 });
  });

  it('the worst case over a picture: a .55 black band under grey text fails on a white picture, .8 holds', () => {
    expect(worstContrastOverPicture(c('#9aa0a6'), c('rgba(0, 0, 0, 0.55)'))).toBeLessThan(4.5);
    expect(worstContrastOverPicture(c('#e8eaed'), c('rgba(0, 0, 0, 0.55)'))).toBeLessThan(4.5);
    expect(worstContrastOverPicture(c('#e8eaed'), c('rgba(0, 0, 0, 0.8)'))).toBeGreaterThan(7);
    expect(worstContrastOverPicture(c('#9aa0a6'), c('rgba(0, 0, 0, 0.8)'))).toBeGreaterThanOrEqual(4.5);
    // A half-transparent band: dark grey text is matched by some picture under it.
    expect(worstContrastOverPicture(c('#404040'), c('rgba(0, 0, 0, 0.5)'))).toBe(1);
    // An opaque band is just its own colour.
    expect(worstContrastOverPicture(c('#ffffff'), c('#000000'))).toBeCloseTo(21, 10);
    // Translucent text is not judged (answered 1: fails any rule).
    expect(worstContrastOverPicture(c('rgba(255, 255, 255, 0.5)'), c('#000000'))).toBe(1);
  });
});
