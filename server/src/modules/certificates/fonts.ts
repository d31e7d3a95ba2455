import { createRequire } from 'node:module';

// PT Serif and PT Sans (ParaType, made for Russian), installed from npm as TTF: pdfkit embeds TTF reliably, WOFF2 not.
const require = createRequire(import.meta.url);
export const FONTS = {
  serif: require.resolve('@expo-google-fonts/pt-serif/400Regular/PTSerif_400Regular.ttf'),
  serifBold: require.resolve('@expo-google-fonts/pt-serif/700Bold/PTSerif_700Bold.ttf'),
  serifItalic: require.resolve('@expo-google-fonts/pt-serif/400Regular_Italic/PTSerif_400Regular_Italic.ttf'),
  sans: require.resolve('@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf'),
  sansBold: require.resolve('@expo-google-fonts/pt-sans/700Bold/PTSans_700Bold.ttf'),
  // Access codes: monospace, embedded (the standard Courier is not, and a viewer may substitute anything for it).
  mono: require.resolve('@expo-google-fonts/pt-mono/400Regular/PTMono_400Regular.ttf'),
} as const;
