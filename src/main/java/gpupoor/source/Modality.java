package gpupoor.source;

import java.util.List;

/**
 * Which part of a model a tensor belongs to, derived from its name (not stored in the files): the
 * text model, or the vision or audio tower of a multimodal model (with the projector that feeds it
 * into the text model).
 */
public enum Modality {
    TEXT, VISION, AUDIO;

    private static final List<String> VISION_NAMES = List.of("vision_tower", "vision_model", "visual.", "vision_encoder",
            "vision_embed", "multi_modal_projector", "mm_projector", "image_newline", "vpm.", "resampler.");
    private static final List<String> AUDIO_NAMES = List.of("audio_tower", "audio_model", "audio_encoder", "audio.");

    /**
     * The modality of a tensor named {@code name}: Hugging Face names ({@code vision_tower.…},
     * {@code model.visual.…}, {@code multi_modal_projector.…}) and the names of llama.cpp's
     * multimodal projector files ({@code v.blk.…}, {@code mm.…}, {@code a.blk.…}).
     */
    public static Modality ofTensor(String name) {
        if (name.startsWith("a.") || AUDIO_NAMES.stream().anyMatch(name::contains)) {
            return AUDIO;
        }
        if (name.startsWith("v.") || name.startsWith("mm.") || VISION_NAMES.stream().anyMatch(name::contains)) {
            return VISION;
        }
        return TEXT;
    }
}
