/**
 * Layout measurements taken inside the page: what overflows or is clipped, how much of a canvas
 * an image is drawn over, and where a text's lines break. The test project is type-checked
 * without the DOM library, so the few browser shapes used here are declared below.
 */
import { expect, type Locator, type Page } from '@playwright/test';

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}
interface Node {
  textContent: string | null;
}
interface Element extends Node {
  tagName: string;
  className: string;
  scrollWidth: number;
  clientWidth: number;
  parentElement: Element | null;
  getBoundingClientRect(): Box;
  getAttribute(name: string): string | null;
}
interface BrowserGlobals {
  document: {
    documentElement: Element;
    querySelectorAll(selector: string): Iterable<Element>;
    createRange(): {
      setStart(node: Node, offset: number): void;
      setEnd(node: Node, offset: number): void;
      getClientRects(): ArrayLike<Box>;
    };
    createTreeWalker(root: unknown, whatToShow: number): { nextNode(): Node | null };
  };
  window: { innerWidth: number; innerHeight: number };
  getComputedStyle(element: Element): { overflowX: string; overflowY: string; visibility: string };
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  };
}

/**
 * What overflows or is cut off on the page, as readable lines (empty when everything fits): the
 * document or one of `containers` holding content wider than its box, and visible controls
 * outside the window or outside an ancestor that clips them (a vertical scroller does not count).
 */
export async function layoutProblems(page: Page, containers: readonly string[]): Promise<string[]> {
  return page.evaluate((selectors) => {
    const { document, window, getComputedStyle } = globalThis as unknown as BrowserGlobals;
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth)
      problems.push(`document ${root.scrollWidth}px wide > ${window.innerWidth}px`);
    for (const selector of selectors)
      for (const element of document.querySelectorAll(selector))
        if (element.scrollWidth > element.clientWidth + 1)
          problems.push(`${selector}: content ${element.scrollWidth}px > box ${element.clientWidth}px`);
    const name = (element: Element): string => {
      const text = (element.textContent || element.getAttribute('aria-label') || '').trim();
      return `${element.tagName.toLowerCase()} "${text.slice(0, 30)}"`;
    };
    const controls = document.querySelectorAll('button, input, select, textarea, [role="tab"]');
    for (const control of controls) {
      const box = control.getBoundingClientRect();
      if (!box.width || !box.height || getComputedStyle(control).visibility === 'hidden') continue;
      const where = `${Math.round(box.left)}..${Math.round(box.right)} x ${Math.round(box.top)}..${Math.round(box.bottom)}`;
      if (
        box.left < -1 ||
        box.top < -1 ||
        box.right > window.innerWidth + 1 ||
        box.bottom > window.innerHeight + 1
      ) {
        problems.push(`${name(control)} outside the window (${where})`);
        continue;
      }
      for (let ancestor = control.parentElement; ancestor; ancestor = ancestor.parentElement) {
        const style = getComputedStyle(ancestor);
        const clip = ancestor.getBoundingClientRect();
        const clipsX = style.overflowX !== 'visible';
        const clipsY = style.overflowY === 'hidden' || style.overflowY === 'clip';
        if (
          (clipsX && (box.left < clip.left - 1 || box.right > clip.right + 1)) ||
          (clipsY && (box.top < clip.top - 1 || box.bottom > clip.bottom + 1))
        ) {
          problems.push(
            `${name(control)} (${where}) clipped by ${ancestor.tagName.toLowerCase()}.${ancestor.className}`,
          );
          break;
        }
      }
    }
    return problems;
  }, containers);
}

export interface DrawnExtent {
  /** The drawn box's width and height as fractions of the canvas's. */
  width: number;
  height: number;
  canvasWidth: number;
  canvasHeight: number;
}

/** The box of a canvas's non-background pixels (gray above 4), read from the canvas itself. */
export async function drawnExtent(canvas: Locator): Promise<DrawnExtent> {
  return canvas.evaluate((element) => {
    const { width, height } = element as unknown as Canvas;
    const data = (element as unknown as Canvas).getContext('2d').getImageData(0, 0, width, height).data;
    let [left, right, top, bottom] = [width, -1, height, -1];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if ((data[i]! + data[i + 1]! + data[i + 2]!) / 3 > 4) {
          left = Math.min(left, x);
          right = Math.max(right, x + 1);
          top = Math.min(top, y);
          bottom = Math.max(bottom, y + 1);
        }
      }
    if (right < 0) return { width: 0, height: 0, canvasWidth: width, canvasHeight: height };
    return {
      width: (right - left) / width,
      height: (bottom - top) / height,
      canvasWidth: width,
      canvasHeight: height,
    };
  });
}

/**
 * Where a text's lines break other than right after one of `separators`: one line per such
 * break, naming the character the line ends on. Measured from each character's laid-out box.
 */
export async function breaksInsideNames(element: Locator, separators = '/\\'): Promise<string[]> {
  return element.evaluate((node, allowed) => {
    const { document } = globalThis as unknown as BrowserGlobals;
    const SHOW_TEXT = 4;
    const walker = document.createTreeWalker(node, SHOW_TEXT);
    const laidOut: { char: string; top: number }[] = [];
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const content = text.textContent ?? '';
      for (let i = 0; i < content.length; i++) {
        const range = document.createRange();
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const box = range.getClientRects()[0];
        if (box) laidOut.push({ char: content[i]!, top: box.top });
      }
    }
    const breaks: string[] = [];
    for (let i = 1; i < laidOut.length; i++) {
      const before = laidOut[i - 1]!;
      if (laidOut[i]!.top > before.top + 2 && !allowed.includes(before.char))
        breaks.push(
          `"${laidOut.map((c) => c.char).join('')}" breaks after "${before.char}" (character ${i})`,
        );
    }
    return breaks;
  }, separators);
}

/**
 * Pairs of overlay texts inside each `cells` element that overlap on screen: `text` elements
 * against each other, measured from their laid-out boxes. Empty when every label stands clear.
 */
export async function overlappingTexts(page: Page, cells: string, texts: string): Promise<string[]> {
  return page.evaluate(
    ([cellSelector, textSelector]) => {
      const { document } = globalThis as unknown as BrowserGlobals;
      const overlaps: string[] = [];
      for (const cell of document.querySelectorAll(cellSelector)) {
        const shown = [
          ...(cell as unknown as { querySelectorAll(s: string): Iterable<Element> }).querySelectorAll(
            textSelector,
          ),
        ]
          .map((element) => ({ element, box: element.getBoundingClientRect() }))
          .filter(({ box, element }) => box.width > 0 && (element.textContent ?? '').trim());
        for (let i = 0; i < shown.length; i++)
          for (let j = i + 1; j < shown.length; j++) {
            const a = shown[i]!.box;
            const b = shown[j]!.box;
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
              overlaps.push(
                `"${shown[i]!.element.textContent}" overlaps "${shown[j]!.element.textContent}" in ${cell.getAttribute('data-key') ?? cellSelector}`,
              );
          }
      }
      return overlaps;
    },
    [cells, texts] as const,
  );
}

/** A box on the page, in CSS pixels, and how many canvas pixels it holds. */
export interface PixelBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
  pixels: number;
}

/** Which canvas pixels a probe counts: near a colour (any alpha above 0), or lit (gray above 4, opaque). */
export type PixelMatch = { near: readonly [number, number, number]; tolerance: number } | 'lit';

/**
 * The page box of a canvas's pixels that match (null when none), read from the canvas itself
 * and placed through its laid-out box, so two canvases in one cell can be compared.
 */
export async function pixelBox(canvas: Locator, match: PixelMatch): Promise<PixelBox | null> {
  return canvas.evaluate((element, wanted) => {
    const { width, height } = element as unknown as Canvas;
    const data = (element as unknown as Canvas).getContext('2d').getImageData(0, 0, width, height).data;
    const place = (element as unknown as Element).getBoundingClientRect();
    let [left, right, top, bottom, pixels] = [width, -1, height, -1, 0];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        const hit =
          wanted === 'lit'
            ? (r + g + b) / 3 > 4
            : a > 0 &&
              Math.abs(r - wanted.near[0]) <= wanted.tolerance &&
              Math.abs(g - wanted.near[1]) <= wanted.tolerance &&
              Math.abs(b - wanted.near[2]) <= wanted.tolerance;
        if (!hit) continue;
        pixels++;
        left = Math.min(left, x);
        right = Math.max(right, x + 1);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y + 1);
      }
    if (!pixels) return null;
    const sx = place.width / width;
    const sy = place.height / height;
    return {
      left: place.left + left * sx,
      right: place.left + right * sx,
      top: place.top + top * sy,
      bottom: place.top + bottom * sy,
      pixels,
    };
  }, match);
}

/**
 * The box of the matching pixels once the canvas has settled: more than `atLeast` of them, and the
 * same box on two reads in a row (a box read while the viewport is still redrawing, e.g. just after
 * an invert, is partial).
 */
export async function shownBox(canvas: Locator, match: PixelMatch, atLeast: number): Promise<PixelBox> {
  const seen: { box: PixelBox | null; previous: string } = { box: null, previous: '' };
  await expect
    .poll(async () => {
      seen.box = await pixelBox(canvas, match);
      const key = JSON.stringify(seen.box);
      const settled = (seen.box?.pixels ?? 0) > atLeast && key === seen.previous;
      seen.previous = key;
      return settled;
    })
    .toBe(true);
  if (!seen.box) throw new Error('no pixels');
  return seen.box;
}
