/** The stream source rule lives in libs/media (recording workers need it too); the gateway's name for it. */
export { streamSourceOf, type StreamSource } from '@tiergate/media';
