// The program the docker backend starts each hook under (sandbox/hookbox-launch): where a trace
// taken in a container begins to be the hook's. Kept apart from the backend so that naming it
// does not load the Docker client.
export const DOCKER_LAUNCHER = 'hookbox-launch';
