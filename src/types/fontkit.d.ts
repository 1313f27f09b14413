// The one fontkit call we make (fontkit ships no type declarations).
declare module 'fontkit' {
  export function create(buffer: Uint8Array): { layout: (...args: never[]) => unknown };
}
