/**
 * Ordinary words for canary search phrases: telemetry that drops tokens that look random (ids,
 * hex) keeps a phrase a person could have typed. Nouns and adjectives a search engine would not
 * correct; three of them give 2^24 phrases, so a phrase seen elsewhere is a leak, not a coincidence.
 */
export const PHRASE_WORDS: readonly string[] = [
  'amber', 'anchor', 'apple', 'arbor', 'arrow', 'aspen', 'autumn', 'badger', 'bamboo', 'banner', 'barley', 'basalt', 'beacon', 'birch', 'biscuit', 'blossom',
  'bramble', 'breeze', 'bridge', 'bronze', 'bucket', 'buffalo', 'butter', 'cabin', 'cactus', 'candle', 'canyon', 'carbon', 'carpet', 'cedar', 'cellar', 'chalk',
  'cherry', 'chestnut', 'cider', 'cinnamon', 'clover', 'cobalt', 'coconut', 'comet', 'copper', 'coral', 'cotton', 'cradle', 'crater', 'cricket', 'crystal', 'cypress',
  'daisy', 'delta', 'desert', 'dolphin', 'dragon', 'drizzle', 'dune', 'eagle', 'ember', 'falcon', 'feather', 'fennel', 'fern', 'fiddle', 'flannel', 'flint',
  'forest', 'fossil', 'fountain', 'garden', 'garnet', 'ginger', 'glacier', 'granite', 'gravel', 'harbor', 'harvest', 'hazel', 'heather', 'hedge', 'heron', 'hickory',
  'honey', 'horizon', 'island', 'ivory', 'jasmine', 'juniper', 'kettle', 'kiwi', 'lagoon', 'lantern', 'lavender', 'lemon', 'lichen', 'lilac', 'linen', 'lobster',
  'magnet', 'mango', 'maple', 'marble', 'meadow', 'melon', 'mineral', 'mirror', 'mitten', 'monsoon', 'mosaic', 'mulberry', 'mustard', 'nectar', 'nutmeg', 'oasis',
  'ocean', 'olive', 'onyx', 'orchard', 'otter', 'paddle', 'pebble', 'pepper', 'pewter', 'pine', 'planet', 'plume', 'pollen', 'poppy', 'prairie', 'pumpkin',
  'quartz', 'quill', 'rabbit', 'raven', 'reef', 'ribbon', 'river', 'robin', 'saffron', 'sage', 'salmon', 'sapphire', 'satin', 'scarlet', 'shadow', 'shell',
  'silver', 'slate', 'sparrow', 'spruce', 'squirrel', 'starling', 'stone', 'summit', 'sunset', 'swallow', 'tangerine', 'teapot', 'thistle', 'thunder', 'timber', 'topaz',
  'tulip', 'tundra', 'turtle', 'umber', 'valley', 'velvet', 'violet', 'walnut', 'walrus', 'willow', 'window', 'winter', 'wren', 'yarrow', 'zephyr', 'zinc',
];
