// Renders app/icon.svg into the PNG icons Next's file conventions and the web manifest expect (app/apple-icon.png,
// public/icon-192.png, public/icon-512.png) and app/favicon.ico (one 32 px PNG inside an ICO), with the Chromium the
// browser tests use. Run after changing the SVG: `node lib/testing/make-icons.mjs`.
import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "@playwright/test";

const svg = readFileSync("app/icon.svg", "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
async function png(size, { padded = false } = {}) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  // The apple and manifest icons are full squares (the platform rounds them); the favicon keeps the SVG's corners.
  const body = padded
    ? `<div style="width:${size}px;height:${size}px;background:#0369a1;display:flex;align-items:center;justify-content:center">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `).replace(/<rect[^>]*\/>/, "")}</div>`
    : svg.replace("<svg ", `<svg width="${size}" height="${size}" `);
  await page.setContent(`<html><body style="margin:0;background:transparent">${body}</body></html>`);
  const out = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  await page.close();
  return out;
}
writeFileSync("app/apple-icon.png", await png(180, { padded: true }));
writeFileSync("public/icon-192.png", await png(192, { padded: true }));
writeFileSync("public/icon-512.png", await png(512, { padded: true }));
const small = await png(32);
// ICO: a 6-byte header, one 16-byte directory entry, then the PNG itself (allowed since Windows Vista, read by every browser).
const header = Buffer.alloc(22);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(1, 4);
header.writeUInt8(32, 6);
header.writeUInt8(32, 7);
header.writeUInt8(0, 8);
header.writeUInt8(0, 9);
header.writeUInt16LE(1, 10);
header.writeUInt16LE(32, 12);
header.writeUInt32LE(small.length, 14);
header.writeUInt32LE(22, 18);
writeFileSync("app/favicon.ico", Buffer.concat([header, small]));
await browser.close();
