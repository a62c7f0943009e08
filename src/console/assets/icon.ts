/** The console's icon (an SVG, so it needs no binary file in the build). */
export const ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0a58ca"/><path d="M7 9h18v4h-7v12h-4V13H7z" fill="#fff"/></svg>';
